/**
 * The charity's identity as it appears in every email footer. Browser-safe (types and defaults only);
 * reading and writing live in charity.server.ts.
 */
export interface CharityIdentity {
  name: string;
  /** Organisationsnummer: empty until staff fill it in. Never guessed. */
  organisationNumber: string;
  /** Postal address: empty until staff fill it in (the seeds only give a service location). */
  address: string;
  email: string;
  phone: string;
  website: string;
}

export const charityIdentityKeys = ["name", "organisationNumber", "address", "email", "phone", "website"] as const;

/**
 * Defaults from the organisation's own texts (../shared/seeds): the name and the partnership contact
 * named there. Everything the seeds do not give stays empty.
 */
export const defaultCharityIdentity: CharityIdentity = {
  name: "Västerås stadsmission",
  organisationNumber: "",
  address: "",
  email: "rickard.salzmann@vasterasstadsmission.se",
  phone: "072-230 95 61",
  website: "",
};
