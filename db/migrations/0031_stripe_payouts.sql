CREATE TABLE "stripe_balance_transactions" (
	"id" text PRIMARY KEY NOT NULL,
	"payout_id" text NOT NULL,
	"type" text NOT NULL,
	"reporting_category" text,
	"amount_ore" bigint NOT NULL,
	"fee_ore" bigint NOT NULL,
	"net_ore" bigint NOT NULL,
	"source_id" text,
	"payment_id" bigint,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stripe_fee_shares" (
	"balance_transaction_id" text NOT NULL,
	"goal_id" integer,
	"fee_ore" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stripe_payouts" (
	"id" text PRIMARY KEY NOT NULL,
	"amount_ore" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"arrival_date" date NOT NULL,
	"fee_ore" bigint DEFAULT 0 NOT NULL,
	"gross_ore" bigint DEFAULT 0 NOT NULL,
	"transactions" integer DEFAULT 0 NOT NULL,
	"unmatched" integer DEFAULT 0 NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stripe_balance_transactions" ADD CONSTRAINT "stripe_balance_transactions_payout_id_stripe_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."stripe_payouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_balance_transactions" ADD CONSTRAINT "stripe_balance_transactions_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_fee_shares" ADD CONSTRAINT "stripe_fee_shares_balance_transaction_id_stripe_balance_transactions_id_fk" FOREIGN KEY ("balance_transaction_id") REFERENCES "public"."stripe_balance_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_fee_shares" ADD CONSTRAINT "stripe_fee_shares_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stripe_balance_transactions_payout_idx" ON "stripe_balance_transactions" USING btree ("payout_id");--> statement-breakpoint
CREATE INDEX "stripe_balance_transactions_payment_idx" ON "stripe_balance_transactions" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "stripe_fee_shares_txn_idx" ON "stripe_fee_shares" USING btree ("balance_transaction_id");--> statement-breakpoint
CREATE INDEX "stripe_payouts_arrival_idx" ON "stripe_payouts" USING btree ("arrival_date");