import { stockholmDay } from "~/utils/dates";

/**
 * The end date as the edit form and the owner's page show it (YYYY-MM-DD, Stockholm): the day before the
 * instant it ends. Not server-only, because the owner's page renders it in the browser too.
 */
export function endDateOf(endsAt: Date | null): string {
  if (!endsAt) return "";
  return stockholmDay(new Date(endsAt.getTime() - 1));
}
