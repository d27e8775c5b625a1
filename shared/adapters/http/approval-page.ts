import { ROLE_TITLES } from '../../domain/reassign/approvers.js';
import type { Approval } from '../../domain/reassign/model.js';
import { count, plural } from '../../domain/words.js';
import type { StoredReassignment } from '../../ports/reassignment.js';

/** Pages for approval links: no scripts, no external assets; the form posts back to the same path. */
export function approvalPageHtml(input: {
  approval: Approval;
  request: StoredReassignment | undefined;
  approverName: string;
  token: string;
  formAction: string;
}): string {
  const { approval, request, approverName } = input;
  const report = request?.report;
  const rows = (report?.reps ?? [])
    .slice(0, 25)
    .map(
      (r) =>
        `<tr><td>${esc(r.repName)}</td><td class="n">+${r.gains}</td><td class="n">−${r.losses}</td><td class="n">${money(r.arrGained - r.arrLost)}</td></tr>`,
    )
    .join('');
  const moving = report?.moving ?? [];
  const movingRows = moving
    .map(
      (m) =>
        `<tr><td class="n">${m.row}</td><td>${esc(m.name)}<br><small>${esc(m.objectType)} ${esc(m.recordId)}</small></td><td>${esc(m.from)}</td><td>${esc(m.to)}</td><td>${esc(m.effectiveOn ?? '')}</td></tr>`,
    )
    .join('');
  const more = (report?.counts.allowed ?? 0) - moving.length;
  const decided = approval.decided;
  const form =
    approval.status === 'pending'
      ? `<form method="post" action="${esc(input.formAction)}">
  <input type="hidden" name="t" value="${esc(input.token)}">
  <label for="comment">Comment (optional)</label>
  <textarea id="comment" name="comment" rows="3" maxlength="1000"></textarea>
  <p class="who">You are deciding as <strong>${esc(approverName)}</strong>.</p>
  <button type="submit" name="decision" value="approve" class="approve">Approve</button>
  <button type="submit" name="decision" value="reject" class="reject">Reject</button>
</form>`
      : `<p class="status">This approval is <strong>${esc(approval.status)}</strong>${
          decided
            ? ` by ${esc(decided.approverName)} on ${esc(decided.at.slice(0, 16).replace('T', ' '))} UTC`
            : ''
        }. Nothing more to do.</p>`;
  return page(
    `${ROLE_TITLES[approval.role]}: ${request?.label ?? 'bulk reassignment'}`,
    `<h1>${esc(ROLE_TITLES[approval.role])}</h1>
<p class="lead">Bulk reassignment <strong>${esc(request?.label ?? '')}</strong> requested by ${esc(request?.requestedBy ?? 'unknown')}.</p>
${
  report
    ? `<ul>
  <li>${count(report.counts.requested, 'move')} requested: ${report.counts.allowed} allowed, ${report.counts.blocked} blocked, ${report.counts.noOps} already in place, ${report.counts.invalid} invalid</li>
  <li>Applies on ${esc(report.applyOn ?? 'approval')}</li>
  <li>ARR moving: ${money(report.arrMoving)}; open deals on moving accounts: ${report.openDeals.count} (${money(report.openDeals.amount)}), staying with their owners</li>
</ul>`
    : ''
}
<h2>Why your approval is needed (${count(approval.recordCount, 'record')})</h2>
<ul>${approval.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
${
  movingRows
    ? `<h2 id="moving">Records moving (${more > 0 ? `first ${moving.length} of ${report?.counts.allowed}` : `${moving.length}`})</h2><table class="moving"><thead><tr><th class="n">Row</th><th>Record</th><th>From</th><th>To</th><th>Effective</th></tr></thead><tbody>${movingRows}</tbody></table>${more > 0 ? `<p class="more">…and ${more.toLocaleString('en-US')} more ${plural(more, 'record')}.</p>` : ''}`
    : ''
}
${rows ? `<h2>Moves per rep</h2><table><thead><tr><th>Rep</th><th>Gains</th><th>Losses</th><th>Net ARR</th></tr></thead><tbody>${rows}</tbody></table>` : ''}
${form}`,
  );
}

export function messagePageHtml(title: string, message: string): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p>`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}.n{text-align:right}
textarea{width:100%;font:inherit}button{font:inherit;padding:.5rem 1.4rem;margin-right:.6rem;border:0;border-radius:4px;color:#fff;cursor:pointer}
.approve{background:#1a7f37}.reject{background:#cf222e}.who{color:#555}
</style></head><body>
${body}
</body></html>`;
}

export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function money(amount: number): string {
  const sign = amount < 0 ? '−' : '';
  return `${sign}$${Math.round(Math.abs(amount)).toLocaleString('en-US')}`;
}
