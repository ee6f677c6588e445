"""The public career site: listings, job pages with JobPosting JSON-LD, the apply form, feeds."""
