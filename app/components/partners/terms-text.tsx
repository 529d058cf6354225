/** Staff-written terms as text: one paragraph per blank-line-separated block (never HTML). */
export function TermsText({ body }: { body: string }) {
  return (
    <div className="stack terms-text">
      {body
        .split(/\n\s*\n/)
        .filter((p) => p.trim())
        .map((p, i) => (
          <p key={i}>{p.trim()}</p>
        ))}
    </div>
  );
}
