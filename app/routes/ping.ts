/** The trivial route: a baseline for the page benchmarks (bench/pages.mjs). */
export function loader() {
  return new Response("ok", { headers: { "Content-Type": "text/plain" } });
}
