/**
 * Where an organisation's logo is served (app/routes/logos.$logoId.ts), or null without one. The id
 * changes with every upload, so the URL can be cached for good. No server code: pages use it too.
 */
export function organisationLogoUrl(org: { logoId: number | null }): string | null {
  return org.logoId ? `/logos/${org.logoId}` : null;
}
