"""Jobs, pipeline stages, applications, stage history, interviews, scorecards, offers, career page."""
