"""The board of a job (included by ats/urls.py in the ``ats`` namespace)."""

from django.urls import path

from . import views_board

urlpatterns = [
    path("jobs/<int:pk>/", views_board.job_board, name="job-board"),
    path(
        "jobs/<int:pk>/applications/<int:app_id>/move/",
        views_board.board_move,
        name="board-move",
    ),
    path("jobs/<int:pk>/bulk/", views_board.board_bulk, name="board-bulk"),
]
