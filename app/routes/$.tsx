/** Any unknown address: a friendly 404 page (root ErrorBoundary) with status 404. */
export function loader() {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}
