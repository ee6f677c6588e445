"""The ATS pages: ``urlpatterns`` (namespace ``ats``, mounted at the site root) and ``careers``,
the public career site (namespace ``careers``), which config/urls.py mounts at /careers/.
(The API: ats/api/urls.py.)"""

from django.urls import path

from .views import (
    applications,
    board,
    bulk,
    calendar,
    careers,
    community,
    feeds,
    interviews,
    jobs,
    my_interviews,
    offer_link,
    offers,
    pipeline,
    rediscovery,
    review,
    scheduling,
    self_schedule,
    summary,
)

app_name = "ats"
urlpatterns = [
    path("jobs/", jobs.job_list, name="jobs"),
    path("jobs/new/", jobs.job_new, name="job-new"),
    path("jobs/add-people/", bulk.bulk_add_to_job, name="bulk-add-to-job"),
    path("jobs/<int:pk>/edit/", jobs.job_edit, name="job-edit"),
    path("jobs/<int:pk>/status/", jobs.job_status, name="job-status"),
    path("jobs/<int:pk>/setup/", pipeline.job_setup, name="job-setup"),
    path("jobs/<int:pk>/rediscover/", rediscovery.job_rediscover, name="job-rediscover"),
    path(
        "jobs/<int:pk>/rediscover/add/",
        rediscovery.job_rediscover_add,
        name="job-rediscover-add",
    ),
    path("jobs/<int:pk>/stages/<int:stage_id>/", pipeline.stage_change, name="stage-change"),
    path("jobs/<int:pk>/interview-types/", pipeline.interview_type_add, name="interview-type-add"),
    path(
        "jobs/<int:pk>/interview-types/<int:type_id>/",
        pipeline.interview_type_change,
        name="interview-type-change",
    ),
    path("jobs/<int:pk>/questions/", pipeline.question_add, name="question-add"),
    path(
        "jobs/<int:pk>/questions/<int:question_id>/",
        pipeline.question_change,
        name="question-change",
    ),
    path("review/", review.review_inbox, name="review"),
    path("review/<int:pk>/", review.review_decide, name="review-decide"),
    path(
        "candidates/<int:pk>/applications/",
        applications.candidate_add_to_job,
        name="candidate-add-to-job",
    ),
    path("applications/<int:pk>/move/", applications.application_move, name="application-move"),
    path(
        "applications/<int:pk>/reject/",
        applications.application_reject,
        name="application-reject",
    ),
    path("applications/<int:pk>/left/", applications.application_left, name="application-left"),
    path("interviews/availability/", scheduling.availability, name="availability"),
    path(
        "applications/<int:pk>/schedule-link/",
        scheduling.schedule_link_new,
        name="schedule-link-new",
    ),
    path("schedule-links/<int:pk>/", scheduling.schedule_link_detail, name="schedule-link-detail"),
    path(
        "schedule-links/<int:pk>/cancel/",
        scheduling.schedule_link_cancel,
        name="schedule-link-cancel",
    ),
    path("interviews/calendar/", calendar.calendar_settings, name="calendar-settings"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
    path("interviews/<int:pk>/", interviews.interview_detail, name="interview-detail"),
    path(
        "interviews/<int:pk>/reschedule/",
        interviews.interview_reschedule,
        name="interview-reschedule",
    ),
    path("interviews/<int:pk>/change/", interviews.interview_change, name="interview-change"),
    path("interviews/<int:pk>/cancel/", interviews.interview_cancel, name="interview-cancel"),
    path("applications/<int:pk>/interviews/new/", interviews.interview_new, name="interview-new"),
    # offers
    path("applications/<int:pk>/offer/new/", offers.offer_new, name="offer-new"),
    path("offers/", offers.offer_list, name="offers"),
    path("offers/<int:pk>/", offers.offer_detail, name="offer-detail"),
    path("offers/<int:pk>/edit/", offers.offer_edit, name="offer-edit"),
    path("offers/<int:pk>/submit/", offers.offer_submit, name="offer-submit"),
    path("offers/<int:pk>/decide/", offers.offer_decide, name="offer-decide"),
    path("offers/<int:pk>/send/", offers.offer_send, name="offer-send"),
    path("offers/<int:pk>/withdraw/", offers.offer_withdraw, name="offer-withdraw"),
    path(
        "applications/<int:pk>/summary/",
        summary.application_summary_page,
        name="application-summary",
    ),
    path("interviews/", my_interviews.interview_list, name="interviews"),
    path("interviews/<int:pk>/scorecard/", my_interviews.scorecard_form, name="scorecard"),
    path(
        "interviews/<int:pk>/scorecard/draft/",
        my_interviews.scorecard_draft,
        name="scorecard-draft",
    ),
    # the board of a job
    path("jobs/<int:pk>/", board.job_board, name="job-board"),
    path("jobs/<int:pk>/applications/<int:app_id>/move/", board.board_move, name="board-move"),
    path("jobs/<int:pk>/bulk/", board.board_bulk, name="board-bulk"),
]

# The public career site. The fixed paths come before ``<slug>/`` so a job can never shadow
# them (services.jobs.RESERVED_SLUGS keeps slugs off them too).
careers_urlpatterns = [
    path("", careers.job_list, name="list"),
    path("feeds/indeed.xml", feeds.indeed_feed, name="indeed"),
    path("sitemap.xml", feeds.sitemap, name="sitemap"),
    path("privacy/", careers.privacy, name="privacy"),
    path("join/", community.join, name="join"),
    path("join/sent/", community.join_sent, name="join-sent"),
    path("join/embed/", community.join_embed, name="join-embed"),
    path("join/embed/sent/", community.join_embed_sent, name="join-embed-sent"),
    path("join/confirm/<str:token>/", community.join_confirm, name="join-confirm"),
    path("offer/<str:token>/", offer_link.offer_page, name="offer"),
    path("schedule/<str:token>/", self_schedule.schedule, name="schedule"),
    path("schedule/<str:token>/interview.ics", self_schedule.schedule_ics, name="schedule-ics"),
    path("<slug:slug>/", careers.job_detail, name="job"),
    path("<slug:slug>/apply/", careers.job_apply, name="apply"),
    path("<slug:slug>/applied/", careers.job_applied, name="applied"),
]
careers = (careers_urlpatterns, "careers")
