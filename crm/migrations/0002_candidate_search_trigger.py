from django.db import migrations

# The search vector is kept by the database itself, so every write path (ORM, bulk updates,
# COPY in the benchmark) keeps it right. Weights: name A; title, skills, company B; location
# and tags C; summary and resume text D. Names use the 'simple' configuration (no stemming).
CREATE = r"""
CREATE OR REPLACE FUNCTION crm_candidate_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('simple', coalesce(NEW.first_name, '') || ' ' || coalesce(NEW.last_name, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(NEW.current_title, '') || ' ' || coalesce(NEW.skills_text, '') || ' ' || coalesce(NEW.current_company, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(NEW.city, '') || ' ' || coalesce(NEW.region, '') || ' ' || array_to_string(NEW.tags, ' ')), 'C') ||
    setweight(to_tsvector('english', coalesce(NEW.summary, '') || ' ' || left(coalesce(NEW.resume_text, ''), 100000)), 'D');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER crm_candidate_search_vector_trg
BEFORE INSERT OR UPDATE OF first_name, last_name, current_title, skills_text, current_company,
    city, region, tags, summary, resume_text
ON crm_candidate FOR EACH ROW EXECUTE FUNCTION crm_candidate_search_vector();
"""

DROP = """
DROP TRIGGER IF EXISTS crm_candidate_search_vector_trg ON crm_candidate;
DROP FUNCTION IF EXISTS crm_candidate_search_vector();
"""


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
