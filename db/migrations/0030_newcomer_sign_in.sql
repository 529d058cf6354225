ALTER TABLE "login_tokens" ALTER COLUMN "person_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "login_tokens" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "login_tokens" ADD CONSTRAINT "login_tokens_person_or_email" CHECK ("login_tokens"."person_id" is not null or "login_tokens"."email" is not null);--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_locale_check" CHECK ("people"."locale" is null or "people"."locale" in ('sv', 'en'));