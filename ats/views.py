"""The recruiter's job pages: the job list, creating and editing a job, its status, its
pipeline stages and its apply-form questions. (The board: views_board; review: views_review.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from config.core.htmx import render_page
from config.core.roles import Role, has_role, role_required
from config.core.views import placeholder

from . import services, services_jobs
from .forms import JobForm, QuestionForm, StageForm, job_initial
from .models import Application, ApplicationQuestion, Job, JobLocation, Stage
from .selectors import jobs_visible_to

STATUS_TABS = (
    ("active", "Open, on hold and drafts", (Job.Status.OPEN, Job.Status.ON_HOLD, Job.Status.DRAFT)),
    ("open", "Open", (Job.Status.OPEN,)),
    ("draft", "Drafts", (Job.Status.DRAFT,)),
    ("on_hold", "On hold", (Job.Status.ON_HOLD,)),
    ("closed", "Closed", (Job.Status.CLOSED,)),
)


def recruiter_job(view: Callable) -> Callable:
    """Resolve ``pk`` to a job for a recruiter; everyone else gets 404 (the login page when
    anonymous), so an outsider cannot tell which jobs exist."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_role(request.user, Role.RECRUITER):
            raise Http404
        job = Job.objects.filter(pk=pk).first()
        if job is None:
            raise Http404
        return view(request, job, *args, **kwargs)

    return wrapped


@role_required(Role.RECRUITER, Role.HIRING_MANAGER)
def job_list(request: HttpRequest) -> HttpResponse:
    """Recruiters see every job; hiring managers only the jobs they manage."""
    tab = request.GET.get("status") or "active"
    tabs = {key: (label, statuses) for key, label, statuses in STATUS_TABS}
    if tab not in tabs:
        tab = "active"
    week_ago = timezone.now() - timedelta(days=7)
    active = Q(applications__status=Application.Status.ACTIVE)
    jobs = (
        jobs_visible_to(request.user)
        .filter(status__in=tabs[tab][1])
        .select_related("hiring_manager", "recruiter")
        .prefetch_related(Prefetch("locations", queryset=JobLocation.objects.order_by("id")))
        .annotate(
            active_count=Count("applications", filter=active, distinct=True),
            new_count=Count(
                "applications",
                filter=active & Q(applications__applied_at__gte=week_ago),
                distinct=True,
            ),
        )
        .order_by("-opened_at", "title", "id")
    )
    query = (request.GET.get("q") or "").strip()
    if query:
        jobs = jobs.filter(
            Q(title__icontains=query) | Q(department__icontains=query) | Q(reference__iexact=query)
        )
    context = {
        "jobs": jobs,
        "tabs": [(key, label) for key, label, _ in STATUS_TABS],
        "tab": tab,
        "query": query,
        "can_manage": services.can_manage_jobs(request.user),
    }
    return render_page(request, "ats/job_list.html", context, partial="rows")


def _save_job(request: HttpRequest, form: JobForm, job: Job | None) -> Job:
    data = form.job_data()
    locations = form.cleaned_data["locations"]
    panel = list(form.cleaned_data["panel"])
    if job is None:
        return services_jobs.job_create(
            actor=request.user, data=data, locations=locations, panel=panel
        )
    return services_jobs.job_update(
        job=job, actor=request.user, data=data, locations=locations, panel=panel
    )


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def job_new(request: HttpRequest) -> HttpResponse:
    """Recruiters only. A new job starts as a draft with the default pipeline."""
    form = JobForm(request.POST or None, initial={"openings": 1, "recruiter": request.user.pk})
    if request.method == "POST" and form.is_valid():
        job = _save_job(request, form, None)
        messages.success(request, f"“{job.title}” created as a draft with the default pipeline.")
        return redirect("ats:job-board", pk=job.pk)
    status = 422 if request.method == "POST" else 200
    return render_page(request, "ats/job_form.html", {"form": form, "job": None}, status=status)


@recruiter_job
@require_http_methods(["GET", "POST"])
def job_edit(request: HttpRequest, job: Job) -> HttpResponse:
    """Recruiters only."""
    form = JobForm(request.POST or None, initial=job_initial(job))
    if request.method == "POST" and form.is_valid():
        job = _save_job(request, form, job)
        messages.success(request, "Job saved.")
        return redirect("ats:job-board", pk=job.pk)
    status = 422 if request.method == "POST" else 200
    return render_page(request, "ats/job_form.html", {"form": form, "job": job}, status=status)


@recruiter_job
@require_POST
def job_status(request: HttpRequest, job: Job) -> HttpResponse:
    """Recruiters only: open, hold, close or reopen; publish or unpublish."""
    action = request.POST.get("action", "")
    if action in ("publish", "unpublish"):
        services_jobs.job_update(
            job=job, actor=request.user, data={"published": action == "publish"}
        )
        messages.success(
            request,
            "Published: it shows on the career page while open."
            if action == "publish"
            else "Unpublished: it left the career page and the feeds.",
        )
    elif action in Job.Status.values:
        try:
            services_jobs.job_set_status(job=job, status=action, actor=request.user)
        except services.MoveRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"The job is now {Job.Status(action).label.lower()}.")
    else:
        messages.error(request, "Unknown action.")
    if request.POST.get("next_page") == "list":
        return redirect("ats:jobs")
    return redirect("ats:job-board", pk=job.pk)


# --------------------------------------------------------------------------- pipeline


def _setup_context(job: Job, **forms) -> dict:
    stages = list(
        Stage.objects.filter(job=job)
        .annotate(n=Count("applications", filter=Q(applications__status="active")))
        .order_by("position", "id")
    )
    return {
        "job": job,
        "stages": stages,
        "questions": list(job.questions.all()),
        "stage_form": forms.get("stage_form") or StageForm(),
        "question_form": forms.get("question_form") or QuestionForm(),
    }


@recruiter_job
@require_http_methods(["GET", "POST"])
def job_setup(request: HttpRequest, job: Job) -> HttpResponse:
    """Recruiters only: the job's pipeline stages and apply-form questions. POST adds a stage."""
    if request.method == "POST":
        form = StageForm(request.POST)
        if form.is_valid() and form.cleaned_data["kind"]:
            try:
                services_jobs.stage_add(
                    job=job,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    manager_review=form.cleaned_data["manager_review"],
                )
            except services.MoveRefused as exc:
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
    stage = Stage.objects.filter(pk=stage_id, job=job).first()
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
            services_jobs.stage_move(stage=stage, offset=-1 if action == "up" else 1)
        elif action == "delete":
            services_jobs.stage_delete(stage=stage)
            messages.success(request, f"Stage “{stage.name}” deleted.")
        else:
            form = StageForm(request.POST)
            if not form.is_valid():
                raise services.MoveRefused("A stage needs a name (up to 80 characters).")
            services_jobs.stage_update(
                stage=stage,
                name=form.cleaned_data["name"],
                manager_review=form.cleaned_data["manager_review"],
            )
            messages.success(request, "Stage saved.")
    except services.MoveRefused as exc:
        messages.error(request, exc.message)
    return redirect("ats:job-setup", pk=job.pk)


@recruiter_job
@require_POST
def question_add(request: HttpRequest, job: Job) -> HttpResponse:
    """Recruiters only: a new question on the job's apply form."""
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services_jobs.question_add(
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
    question = ApplicationQuestion.objects.filter(pk=question_id, job=job).first()
    if question is None:
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "delete":
            services_jobs.question_delete(question=question)
            messages.success(request, "Question removed from the apply form.")
        elif action in ("up", "down"):
            services_jobs.question_move(question=question, offset=-1 if action == "up" else 1)
    except services.MoveRefused as exc:
        messages.error(request, exc.message)
    return redirect("ats:job-setup", pk=job.pk)


@role_required(Role.INTERVIEWER, Role.HIRING_MANAGER)
def interview_list(request):
    return placeholder(
        request,
        title="Interviews",
        summary="Your upcoming interviews and the scorecards to submit.",
        coming_with="the interviews and scorecards issue",
    )
