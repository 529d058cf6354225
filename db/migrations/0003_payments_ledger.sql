CREATE TABLE "allocation_rules" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"valid_from" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "allocation_shares" (
	"rule_id" bigint NOT NULL,
	"goal_id" integer NOT NULL,
	"basis_points" integer NOT NULL,
	CONSTRAINT "allocation_shares_rule_id_goal_id_pk" PRIMARY KEY("rule_id","goal_id"),
	CONSTRAINT "allocation_shares_range" CHECK ("allocation_shares"."basis_points" >= 0 and "allocation_shares"."basis_points" <= 10000)
);
--> statement-breakpoint
CREATE TABLE "monthly_gifts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"amount_ore" bigint NOT NULL,
	"currency" text DEFAULT 'sek' NOT NULL,
	"goal_id" integer,
	"donor_name" text NOT NULL,
	"donor_email" text NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"greeting" text,
	"locale" text DEFAULT 'sv' NOT NULL,
	"checkout_session_id" text,
	"subscription_id" text,
	"customer_id" text,
	"demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"canceled_at" timestamp with time zone,
	CONSTRAINT "monthly_gifts_checkout_session_id_unique" UNIQUE("checkout_session_id"),
	CONSTRAINT "monthly_gifts_subscription_id_unique" UNIQUE("subscription_id"),
	CONSTRAINT "monthly_gifts_amount_positive" CHECK ("monthly_gifts"."amount_ore" > 0),
	CONSTRAINT "monthly_gifts_status_check" CHECK ("monthly_gifts"."status" in ('pending', 'active', 'past_due', 'canceled'))
);
--> statement-breakpoint
CREATE TABLE "payment_anomalies" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"payment_id" bigint,
	"kind" text NOT NULL,
	"object_id" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_disputes" (
	"dispute_id" text PRIMARY KEY NOT NULL,
	"charge_id" text,
	"payment_intent_id" text,
	"amount_ore" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"method" text,
	"amount_ore" bigint NOT NULL,
	"currency" text DEFAULT 'sek' NOT NULL,
	"goal_id" integer,
	"donor_name" text,
	"donor_email" text,
	"anonymous" boolean DEFAULT false NOT NULL,
	"greeting" text,
	"locale" text DEFAULT 'sv' NOT NULL,
	"origin" text DEFAULT 'app' NOT NULL,
	"monthly_gift_id" bigint,
	"checkout_session_id" text,
	"payment_intent_id" text,
	"charge_id" text,
	"invoice_id" text,
	"allocation_rule_id" bigint,
	"refunded_ore" bigint DEFAULT 0 NOT NULL,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_checkout_session_id_unique" UNIQUE("checkout_session_id"),
	CONSTRAINT "payments_payment_intent_id_unique" UNIQUE("payment_intent_id"),
	CONSTRAINT "payments_charge_id_unique" UNIQUE("charge_id"),
	CONSTRAINT "payments_invoice_id_unique" UNIQUE("invoice_id"),
	CONSTRAINT "payments_amount_nonnegative" CHECK ("payments"."amount_ore" >= 0),
	CONSTRAINT "payments_refunded_range" CHECK ("payments"."refunded_ore" >= 0 and "payments"."refunded_ore" <= "payments"."amount_ore"),
	CONSTRAINT "payments_channel_check" CHECK ("payments"."channel" in ('one_off_gift', 'monthly_gift', 'partner_fee', 'salary_giving', 'collection', 'competition')),
	CONSTRAINT "payments_status_check" CHECK ("payments"."status" in ('pending', 'paid', 'failed', 'expired', 'held')),
	CONSTRAINT "payments_origin_check" CHECK ("payments"."origin" in ('app', 'external', 'demo'))
);
--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"source" text DEFAULT 'webhook' NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "entry_key" text;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "author" text;--> statement-breakpoint
ALTER TABLE "allocation_shares" ADD CONSTRAINT "allocation_shares_rule_id_allocation_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."allocation_rules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocation_shares" ADD CONSTRAINT "allocation_shares_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_gifts" ADD CONSTRAINT "monthly_gifts_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_anomalies" ADD CONSTRAINT "payment_anomalies_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_monthly_gift_id_monthly_gifts_id_fk" FOREIGN KEY ("monthly_gift_id") REFERENCES "public"."monthly_gifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "allocation_rules_valid_from_idx" ON "allocation_rules" USING btree ("valid_from");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_anomalies_kind_object_uq" ON "payment_anomalies" USING btree ("kind","object_id");--> statement-breakpoint
CREATE INDEX "payment_disputes_charge_idx" ON "payment_disputes" USING btree ("charge_id");--> statement-breakpoint
CREATE INDEX "payment_disputes_pi_idx" ON "payment_disputes" USING btree ("payment_intent_id");--> statement-breakpoint
CREATE INDEX "payments_created_idx" ON "payments" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "payments_monthly_gift_idx" ON "payments" USING btree ("monthly_gift_id");--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_entry_key_unique" UNIQUE("entry_key");--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_nonzero" CHECK ("ledger_entries"."amount_ore" <> 0);--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_allocation_positive" CHECK ("ledger_entries"."kind" <> 'allocation' or "ledger_entries"."amount_ore" > 0);