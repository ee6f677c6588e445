import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

# The name (A) and title/skills/company (B) parts of the search vector get columns of their
# own, filled by the same trigger, so that relevance search can read its best tiers through
# their own GIN indexes, with statistics that know how common each word is in each part.
FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION crm_candidate_name_vector(first text, last text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('simple'::regconfig, coalesce(first, '') || ' ' || coalesce(last, '')), 'A')
$$;

CREATE OR REPLACE FUNCTION crm_candidate_head_vector(title text, skills text, company text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english'::regconfig,
    coalesce(title, '') || ' ' || coalesce(skills, '') || ' ' || coalesce(company, '')), 'B')
$$;

CREATE OR REPLACE FUNCTION crm_candidate_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.name_vector := crm_candidate_name_vector(NEW.first_name, NEW.last_name);
  NEW.head_vector := crm_candidate_head_vector(NEW.current_title, NEW.skills_text, NEW.current_company);
  NEW.search_vector :=
    NEW.name_vector ||
    NEW.head_vector ||
    setweight(to_tsvector('simple', coalesce(NEW.city, '') || ' ' || coalesce(NEW.region, '') || ' ' || array_to_string(NEW.tags, ' ')), 'C') ||
    setweight(to_tsvector('english', coalesce(NEW.summary, '') || ' ' || left(coalesce(NEW.resume_text, ''), 100000)), 'D');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

UPDATE crm_candidate SET
  name_vector = crm_candidate_name_vector(first_name, last_name),
  head_vector = crm_candidate_head_vector(current_title, skills_text, current_company);
"""

# Back to migration 0002's trigger function.
REVERSE = r"""
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
DROP FUNCTION IF EXISTS crm_candidate_name_vector(text, text);
DROP FUNCTION IF EXISTS crm_candidate_head_vector(text, text, text);
"""


class Migration(migrations.Migration):
    dependencies = [("crm", "0002_candidate_search_trigger")]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="head_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="candidate",
            name="name_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunSQL(FUNCTIONS, REVERSE),
        migrations.AddIndex(
            model_name="candidate",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["name_vector"], name="crm_cand_name_gin"
            ),
        ),
        migrations.AddIndex(
            model_name="candidate",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["head_vector"], name="crm_cand_head_gin"
            ),
        ),
    ]
