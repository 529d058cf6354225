import { z } from "zod";
import { collectionSchema } from "./collections";
import { checkboxField, optionalText } from "./fields";

/**
 * The owner's forms on /account/collections/<slug> (issue 12 item 4). Editing uses the same rules as
 * starting a collection (collect's schema, picked), so a title, target or end date refused there is
 * refused here with the same message.
 */
export const collectionEditSchema = collectionSchema.pick({ title: true, story: true, target: true, endsOn: true, image: true }).extend({
  /** Ticked: the image is removed (a new file, if one is chosen, wins). */
  removeImage: checkboxField,
});
export type CollectionEditValues = z.output<typeof collectionEditSchema>;

export const THANK_YOU_MAX = 1000;
/** Empty removes the message. */
export const thankYouSchema = z.object({ thankYouMessage: optionalText(THANK_YOU_MAX) });
