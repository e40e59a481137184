-- CreateTable
CREATE TABLE "OrgVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL DEFAULT 0
);


-- The one row, and triggers that move it with every change to what routing reads (org-cache.ts), whoever writes:
-- the bot, the CLI's import in another process, a hand edit. Each trigger on one line (migrate.ts splits at ";\n").
INSERT INTO "OrgVersion" ("id", "version") VALUES (1, 0);
CREATE TRIGGER "OrgVersion_Person_insert" AFTER INSERT ON "Person" BEGIN UPDATE "OrgVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "OrgVersion_Person_update" AFTER UPDATE ON "Person" BEGIN UPDATE "OrgVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "OrgVersion_Person_delete" AFTER DELETE ON "Person" BEGIN UPDATE "OrgVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "OrgVersion_ChatAccount_insert" AFTER INSERT ON "ChatAccount" BEGIN UPDATE "OrgVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "OrgVersion_ChatAccount_update" AFTER UPDATE ON "ChatAccount" BEGIN UPDATE "OrgVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "OrgVersion_ChatAccount_delete" AFTER DELETE ON "ChatAccount" BEGIN UPDATE "OrgVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "OrgVersion_GroupBinding_insert" AFTER INSERT ON "GroupBinding" BEGIN UPDATE "OrgVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "OrgVersion_GroupBinding_update" AFTER UPDATE ON "GroupBinding" BEGIN UPDATE "OrgVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "OrgVersion_GroupBinding_delete" AFTER DELETE ON "GroupBinding" BEGIN UPDATE "OrgVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
