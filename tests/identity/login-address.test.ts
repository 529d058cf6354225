import { afterAll, describe, expect, it } from "vitest";
import { loader as loginLoader } from "~/routes/login";
import { parseEnv, setEnvForTests } from "~/utils/env.server";
import { tempDir } from "../setup/server";
import { TEST_SESSION_SECRET } from "./helpers";

/**
 * Locally the server answers on 127.0.0.1 and localhost alike, but emailed sign-in links go to
 * APP_URL (http://localhost:PORT by default). A browser keeps the two apart, so the sign-in page says
 * so when it is opened under the other name, with a link to the right one.
 */
describe("the sign-in page under another address than APP_URL", () => {
  afterAll(() => setEnvForTests(undefined));
  const load = async (url: string) =>
    (await loginLoader({ request: new Request(url), params: {}, context: {} })) as { elsewhere: { appUrl: string; here: string } | null };

  it("points a visitor on 127.0.0.1 to localhost, where the emailed link will sign them in", async () => {
    setEnvForTests(parseEnv({ DATA_DIR: tempDir("login-address"), SESSION_SECRET: TEST_SESSION_SECRET, PORT: "3999" }));
    expect((await load("http://127.0.0.1:3999/login")).elsewhere).toEqual({ appUrl: "http://localhost:3999", here: "http://127.0.0.1:3999" });
    expect((await load("http://localhost:3999/login?returnTo=%2Faccount")).elsewhere).toBeNull();
  });

  it("says nothing in production, where a proxy may show the app under an internal name", async () => {
    setEnvForTests(
      parseEnv({ APP_ENV: "production", DATABASE_URL: "postgres://u@h/db", SESSION_SECRET: TEST_SESSION_SECRET, APP_URL: "https://gavor.example.org", ALLOW_LOCAL_STANDINS: "1" }),
    );
    expect((await load("http://10.0.0.5:3000/login")).elsewhere).toBeNull();
  });
});
