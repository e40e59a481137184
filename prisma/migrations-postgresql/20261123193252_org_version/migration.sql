-- CreateTable
CREATE TABLE "OrgVersion" (
    "id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "OrgVersion_pkey" PRIMARY KEY ("id")
);

-- The one row, and triggers that move it with every change to what routing reads (org-cache.ts), whoever writes:
-- the bot, the CLI's import in another process, a hand edit. One bump per statement (FOR EACH STATEMENT).
INSERT INTO "OrgVersion" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "org_version_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "OrgVersion" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "OrgVersion_Person" AFTER INSERT OR UPDATE OR DELETE ON "Person" FOR EACH STATEMENT EXECUTE FUNCTION "org_version_bump"();
CREATE TRIGGER "OrgVersion_ChatAccount" AFTER INSERT OR UPDATE OR DELETE ON "ChatAccount" FOR EACH STATEMENT EXECUTE FUNCTION "org_version_bump"();
CREATE TRIGGER "OrgVersion_GroupBinding" AFTER INSERT OR UPDATE OR DELETE ON "GroupBinding" FOR EACH STATEMENT EXECUTE FUNCTION "org_version_bump"();
