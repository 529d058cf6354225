import { BaseSequencer, type TestSpecification } from "vitest/node";
import { needsServer } from "./run-order";

/**
 * How many of the files that need no server go first. While they run, the build (about 18 s of wall alone, more
 * beside the suite) and PGlite's templates are made; after them the files keep Vitest's order (longest first when
 * it has timings, else largest), so axe.test and forms.test (206 and 131 s) still start early. In run B the eight
 * largest server-free files took 42 s of wall on one worker: about 21 s on two.
 */
export const serverFreeLead = 8;

/** Vitest's order, with the first `serverFreeLead` files that need no server moved to the front. */
export default class ServerFreeFirstSequencer extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const lead: TestSpecification[] = [];
    const rest: TestSpecification[] = [];
    for (const file of sorted) (lead.length < serverFreeLead && !needsServer(file.moduleId) ? lead : rest).push(file);
    return [...lead, ...rest];
  }
}
