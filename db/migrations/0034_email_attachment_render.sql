ALTER TABLE "email_attachments" ALTER COLUMN "content_base64" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "email_attachments" ADD COLUMN "render" jsonb;--> statement-breakpoint
ALTER TABLE "email_attachments" ADD CONSTRAINT "email_attachments_content_or_render" CHECK (("email_attachments"."content_base64" is null) <> ("email_attachments"."render" is null));