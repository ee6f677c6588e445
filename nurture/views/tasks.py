"""The user's manual-step tasks (LinkedIn messages, calls) and marking one done."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config.core.htmx import is_partial_request, render_page
from config.core.roles import Role, role_required
from nurture.models import Task
from nurture.selectors.tasks_alerts import task_get_for_user, tasks_of
from nurture.services.tasks_alerts import task_complete


@role_required(Role.RECRUITER)
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    """The user's manual-step tasks: open ones by due date first, then recently done ones."""
    return _render_tasks(request)


def _render_tasks(request: HttpRequest) -> HttpResponse:
    open_tasks, done = tasks_of(request.user)
    context = {"open_tasks": open_tasks, "done_tasks": done, "now": timezone.now()}
    return render_page(request, "nurture/task_list.html", context, partial="tasks")


@role_required(Role.RECRUITER, load=task_get_for_user)
@require_POST
def task_done(request: HttpRequest, task: Task) -> HttpResponse:
    """Mark one of the user's own tasks done (someone else's is a 404). A conditional update:
    marking a done task done again changes nothing."""
    task_complete(task=task)
    if is_partial_request(request):
        return _render_tasks(request)
    messages.success(request, f"Done: {task.title}.")
    return redirect("nurture:tasks")
