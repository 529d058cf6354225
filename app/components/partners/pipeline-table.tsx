import { partnershipMessages, statusLabel } from "~/i18n/partnerships";
import type { Locale } from "~/i18n/messages";
import { formatOre } from "~/utils/money";

interface Cell {
  count: number;
  agreedOre: string;
}

/** The pipeline: for each goal (and in total), how many partnerships and what agreed yearly value per status. */
export function PipelineTable({
  pipeline,
  locale,
}: {
  pipeline: { statuses: readonly string[]; goals: Array<{ id: number; title: string; cells: Cell[] }>; total: Cell[] };
  locale: Locale;
}) {
  const t = partnershipMessages(locale);
  const show = (c: Cell) => (c.count ? `${c.count} · ${formatOre(BigInt(c.agreedOre))}` : "–");
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="pipeline-heading">
      <h2 id="pipeline-heading">{t.pipeline}</h2>
      <table className="data-table pipeline">
        <thead>
          <tr>
            <th scope="col">{t.goal}</th>
            {pipeline.statuses.map((s) => (
              <th key={s} scope="col" className="num">
                {statusLabel(locale, s)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {pipeline.goals.map((g) => (
            <tr key={g.id}>
              <th scope="row">{g.title}</th>
              {g.cells.map((c, i) => (
                <td key={i} className="num" data-label={statusLabel(locale, pipeline.statuses[i])}>
                  {show(c)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t.total}</th>
            {pipeline.total.map((c, i) => (
              <td key={i} className="num" data-label={statusLabel(locale, pipeline.statuses[i])}>
                {show(c)}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
