"""A job's setup page: its pipeline stages, its interview plan (types with their kits) and its
apply-form questions (recruiters only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from config.core.htmx import render_page

from ..forms.interviews import InterviewTypeForm
from ..forms.jobs import QuestionForm, StageForm
from ..models import Job, Stage
from ..selectors.interviews import interview_type_get, interview_types_of_job
from ..selectors.jobs import (
    job_question_get,
    job_questions,
    job_stage_get,
    job_stages_with_counts,
)
from ..services import jobs as job_services
from ..services import plans
from ..services.applications import MoveRefused
from .jobs import recruiter_job


def _setup_context(job: Job, **forms) -> dict:
    bound = forms.get("type_forms") or {}
    types = interview_types_of_job(job.pk)
    return {
        "job": job,
        "stages": job_stages_with_counts(job),
        "questions": job_questions(job),
        "stage_form": forms.get("stage_form") or StageForm(),
        "question_form": forms.get("question_form") or QuestionForm(),
        "plan": [
            (kind, bound.get(kind.pk) or InterviewTypeForm.for_type(kind, job)) for kind in types
        ],
        "type_form": forms.get("type_form") or InterviewTypeForm(job=job, prefix="new-type"),
    }


@recruiter_job
@require_http_methods(["GET", "POST"])
def job_setup(request: HttpRequest, job: Job) -> HttpResponse:
    """Recruiters only: the job's pipeline stages and apply-form questions. POST adds a stage."""
    if request.method == "POST":
        form = StageForm(request.POST)
        if form.is_valid() and form.cleaned_data["kind"]:
            try:
                job_services.stage_add(
                    job=job,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    manager_review=form.cleaned_data["manager_review"],
                )
            except MoveRefused as exc:
                form.add_error("name", exc.message)
            else:
                messages.success(request, f"Stage “{form.cleaned_data['name']}” added.")
                return redirect("ats:job-setup", pk=job.pk)
        elif form.is_valid():
            form.add_error("kind", "Say what kind of stage this is.")
        context = _setup_context(job, stage_form=form)
        return render_page(request, "ats/job_setup.html", context, status=422)
    return render_page(request, "ats/job_setup.html", _setup_context(job))


def _stage(job: Job, stage_id: int) -> Stage:
    stage = job_stage_get(job, stage_id)
    if stage is None:
        raise Http404
    return stage


@recruiter_job
@require_POST
def stage_change(request: HttpRequest, job: Job, stage_id: int) -> HttpResponse:
    """Recruiters only: rename (and review flag), move up/down, or delete a stage."""
    stage = _stage(job, stage_id)
    action = request.POST.get("action")
    try:
        if action == "up" or action == "down":
            job_services.stage_move(stage=stage, offset=-1 if action == "up" else 1)
        elif action == "delete":
            job_services.stage_delete(stage=stage)
            messages.success(request, f"Stage “{stage.name}” deleted.")
        else:
            form = StageForm(request.POST)
            if not form.is_valid():
                raise MoveRefused("A stage needs a name (up to 80 characters).")
            job_services.stage_update(
                stage=stage,
                name=form.cleaned_data["name"],
                manager_review=form.cleaned_data["manager_review"],
            )
            messages.success(request, "Stage saved.")
    except MoveRefused as exc:
        messages.error(request, exc.message)
    return redirect("ats:job-setup", pk=job.pk)


@recruiter_job
@require_POST
def question_add(request: HttpRequest, job: Job) -> HttpResponse:
    """Recruiters only: a new question on the job's apply form."""
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        job_services.question_add(
            job=job,
            label=data["label"],
            kind=data["kind"],
            choices=data["choices"],
            required=data["required"],
        )
        messages.success(request, "Question added to the apply form.")
        return redirect("ats:job-setup", pk=job.pk)
    return render_page(
        request, "ats/job_setup.html", _setup_context(job, question_form=form), status=422
    )


@recruiter_job
@require_POST
def question_change(request: HttpRequest, job: Job, question_id: int) -> HttpResponse:
    """Recruiters only: move a question up or down, or delete it."""
    question = job_question_get(job, question_id)
    if question is None:
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "delete":
            job_services.question_delete(question=question)
            messages.success(request, "Question removed from the apply form.")
        elif action in ("up", "down"):
            job_services.question_move(question=question, offset=-1 if action == "up" else 1)
    except MoveRefused as exc:
        messages.error(request, exc.message)
    return redirect("ats:job-setup", pk=job.pk)


# --------------------------------------------------------------------------- interview plan


def _plan_data(form: InterviewTypeForm) -> dict:
    data = dict(form.cleaned_data)
    data["stage"] = data["stage"].pk
    return data


def _show(form: InterviewTypeForm, error: plans.PlanRefused) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@recruiter_job
@require_POST
def interview_type_add(request: HttpRequest, job: Job) -> HttpResponse:
    """Recruiters only: add an interview type (with its kit) to a stage of the job's plan."""
    form = InterviewTypeForm(request.POST, job=job, prefix="new-type")
    if form.is_valid():
        try:
            kind = plans.interview_type_add(job=job, data=_plan_data(form))
        except plans.PlanRefused as error:
            _show(form, error)
        else:
            messages.success(request, f"Interview “{kind.name}” added to the plan.")
            return redirect(f"{reverse('ats:job-setup', args=[job.pk])}#plan")
    context = _setup_context(job, type_form=form)
    return render_page(request, "ats/job_setup.html", context, status=422)


@recruiter_job
@require_POST
def interview_type_change(request: HttpRequest, job: Job, type_id: int) -> HttpResponse:
    """Recruiters only: save, move up/down or remove an interview type of the plan."""
    kind = interview_type_get(job, type_id)
    if kind is None:
        raise Http404
    action = request.POST.get("action")
    back = redirect(f"{reverse('ats:job-setup', args=[job.pk])}#type-{kind.pk}")
    if action in ("up", "down"):
        plans.interview_type_move(interview_type=kind, direction=action)
        return back
    if action == "delete":
        plans.interview_type_remove(interview_type=kind)
        messages.success(request, f"Interview “{kind.name}” removed from the plan.")
        return redirect(f"{reverse('ats:job-setup', args=[job.pk])}#plan")
    form = InterviewTypeForm(request.POST, job=job, prefix=f"type-{kind.pk}")
    if form.is_valid():
        try:
            plans.interview_type_update(interview_type=kind, data=_plan_data(form))
        except plans.PlanRefused as error:
            _show(form, error)
        else:
            messages.success(request, f"Interview “{form.cleaned_data['name']}” saved.")
            return back
    context = _setup_context(job, type_forms={kind.pk: form})
    return render_page(request, "ats/job_setup.html", context, status=422)
