CREATE TABLE "email_attachments" (
	"id" serial PRIMARY KEY NOT NULL,
	"outbox_id" integer NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"content_base64" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"id" serial PRIMARY KEY NOT NULL,
	"invoice_id" integer NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	"amount_ore" bigint NOT NULL,
	"goal_id" integer,
	CONSTRAINT "invoice_lines_amount_positive" CHECK ("invoice_lines"."amount_ore" > 0)
);
--> statement-breakpoint
CREATE TABLE "invoice_number_series" (
	"series" text PRIMARY KEY NOT NULL,
	"last_number" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" serial PRIMARY KEY NOT NULL,
	"organisation_id" integer NOT NULL,
	"number" bigint,
	"issue_date" date NOT NULL,
	"due_date" date NOT NULL,
	"buyer_name" text NOT NULL,
	"buyer_org_number" text,
	"buyer_address" text DEFAULT '' NOT NULL,
	"buyer_email" text NOT NULL,
	"buyer_reference" text,
	"locale" text DEFAULT 'sv' NOT NULL,
	"delivery" text DEFAULT 'bank' NOT NULL,
	"channel" text DEFAULT 'partner_fee' NOT NULL,
	"ocr_reference" text,
	"total_ore" bigint NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"paid_ore" bigint DEFAULT 0 NOT NULL,
	"stripe_invoice_id" text,
	"note" text,
	"demo" boolean DEFAULT false NOT NULL,
	"created_by" integer,
	"sent_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"credited_at" timestamp with time zone,
	"last_reminder_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_number_unique" UNIQUE("number"),
	CONSTRAINT "invoices_ocr_reference_unique" UNIQUE("ocr_reference"),
	CONSTRAINT "invoices_stripe_invoice_id_unique" UNIQUE("stripe_invoice_id"),
	CONSTRAINT "invoices_status_check" CHECK ("invoices"."status" in ('draft', 'sent', 'paid', 'partly_paid', 'overdue', 'void', 'credited')),
	CONSTRAINT "invoices_delivery_check" CHECK ("invoices"."delivery" in ('bank', 'stripe')),
	CONSTRAINT "invoices_total_positive" CHECK ("invoices"."total_ore" > 0),
	CONSTRAINT "invoices_paid_nonnegative" CHECK ("invoices"."paid_ore" >= 0),
	CONSTRAINT "invoices_due_after_issue" CHECK ("invoices"."due_date" >= "invoices"."issue_date"),
	CONSTRAINT "invoices_issued_numbered" CHECK ("invoices"."status" = 'draft' or "invoices"."status" = 'void' or ("invoices"."number" is not null and "invoices"."ocr_reference" is not null))
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "company_invoice_id" integer;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "company_invoice_line_id" integer;--> statement-breakpoint
ALTER TABLE "email_attachments" ADD CONSTRAINT "email_attachments_outbox_id_email_outbox_id_fk" FOREIGN KEY ("outbox_id") REFERENCES "public"."email_outbox"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_attachments_outbox_idx" ON "email_attachments" USING btree ("outbox_id");--> statement-breakpoint
CREATE INDEX "invoice_lines_invoice_idx" ON "invoice_lines" USING btree ("invoice_id","position");--> statement-breakpoint
CREATE INDEX "invoices_organisation_idx" ON "invoices" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "invoices_status_due_idx" ON "invoices" USING btree ("status","due_date");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_company_invoice_id_invoices_id_fk" FOREIGN KEY ("company_invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_company_invoice_line_id_invoice_lines_id_fk" FOREIGN KEY ("company_invoice_line_id") REFERENCES "public"."invoice_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payments_company_invoice_idx" ON "payments" USING btree ("company_invoice_id");--> statement-breakpoint
CREATE INDEX "payments_company_invoice_line_idx" ON "payments" USING btree ("company_invoice_line_id");