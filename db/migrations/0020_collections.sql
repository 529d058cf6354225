CREATE TABLE "collection_images" (
	"id" serial PRIMARY KEY NOT NULL,
	"content_type" text NOT NULL,
	"data_base64" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collection_images_type_check" CHECK ("collection_images"."content_type" in ('image/png', 'image/jpeg', 'image/webp')),
	CONSTRAINT "collection_images_size_range" CHECK ("collection_images"."byte_size" > 0 and "collection_images"."byte_size" <= 2097152)
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "show_amount" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "collections" ADD COLUMN "kind" text DEFAULT 'single' NOT NULL;--> statement-breakpoint
ALTER TABLE "collections" ADD COLUMN "image_id" integer;--> statement-breakpoint
ALTER TABLE "collections" ADD COLUMN "thank_you_message" text;--> statement-breakpoint
ALTER TABLE "collections" ADD COLUMN "invite_code" text;--> statement-breakpoint
ALTER TABLE "collections" ADD COLUMN "competition_team_id" integer;--> statement-breakpoint
ALTER TABLE "collections" ADD CONSTRAINT "collections_image_id_collection_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."collection_images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collections" ADD CONSTRAINT "collections_competition_team_id_competition_teams_id_fk" FOREIGN KEY ("competition_team_id") REFERENCES "public"."competition_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collections" ADD CONSTRAINT "collections_invite_code_unique" UNIQUE("invite_code");--> statement-breakpoint
ALTER TABLE "collections" ADD CONSTRAINT "collections_kind_check" CHECK ("collections"."kind" in ('single', 'team'));