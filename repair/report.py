"""A self-contained HTML report of repairs: every edit highlighted in place, with its entry, tier,
confidence and reason; suggestions shown apart; a summary table; filters by category and tier.

The page loads nothing from the network. All document text is escaped, so a document holding
``<script>`` or event attributes renders as text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape

from .edits import Edit, Result

_CSS = """
body{font:15px/1.55 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#222}
h1{font-size:1.4rem} h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
#summary th{cursor:pointer}
.doc{white-space:pre-wrap;background:#fafafa;padding:1rem;border:1px solid #eee}
.edit{background:#e6f4ea;border-bottom:2px solid #34a853;cursor:help}
.edit del{color:#b3261e;text-decoration:line-through}
.edit ins{color:#0b6b2b;text-decoration:none;font-weight:600}
.suggestion{border-bottom:2px dashed #f9a825;background:#fff8e1;cursor:help}
.hidden-filter del{text-decoration:none;color:inherit}
.hidden-filter ins{display:none}
.hidden-filter{background:none;border:none}
fieldset{display:inline-block;margin-right:1rem}
"""

_JS = """
function applyFilters(){
  const off = new Set();
  document.querySelectorAll('input[data-filter]').forEach(box => { if(!box.checked) off.add(box.dataset.filter); });
  document.querySelectorAll('.edit, .suggestion').forEach(el => {
    const hide = off.has('tier:' + el.dataset.tier) || off.has('category:' + el.dataset.category);
    el.classList.toggle('hidden-filter', hide);
  });
}
document.querySelectorAll('input[data-filter]').forEach(box => box.addEventListener('change', applyFilters));
function showClean(){
  const on = document.getElementById('show-clean').checked;
  document.querySelectorAll('#summary tr.unchanged').forEach(tr => { tr.hidden = !on; });
}
document.getElementById('show-clean').addEventListener('change', showClean);
showClean();
document.querySelectorAll('#summary th').forEach((th, col) => th.addEventListener('click', () => {
  const body = document.querySelector('#summary tbody');
  const rows = Array.from(body.rows);
  const down = th.dataset.order !== 'down';
  th.dataset.order = down ? 'down' : 'up';
  const key = tr => { const v = tr.cells[col].dataset.sort ?? tr.cells[col].textContent; return isNaN(+v) ? v : +v; };
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (down ? -1 : 1));
  rows.forEach(tr => body.appendChild(tr));
}));
"""


def _span(text: str, e: Edit, kind: str) -> str:
    title = f"{e.entry} | {e.tier} | confidence {e.confidence:.2f} | {e.reason}"
    attrs = (f'class="{kind}" data-tier="{escape(e.tier)}" data-category="{escape(e.category)}" '
             f'title="{escape(title)}"')
    if kind == "edit":
        return f"<span {attrs}><del>{escape(e.before)}</del><ins>{escape(e.after)}</ins></span>"
    return f"<span {attrs}>{escape(text[e.start:e.end])}</span>"


def _render_text(text: str, result: Result) -> str:
    marks = [(e, "edit") for e in result.edits]
    applied = {(e.start, e.end) for e in result.edits}
    marks += [(s, "suggestion") for s in result.suggestions if (s.start, s.end) not in applied]
    marks.sort(key=lambda m: m[0].start)
    out, pos = [], 0
    for e, kind in marks:
        if e.start < pos:
            continue
        out.append(escape(text[pos:e.start]))
        out.append(_span(text, e, kind))
        pos = e.end
    out.append(escape(text[pos:]))
    return "".join(out)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def render_report(documents: Sequence[tuple[str, str, Result]], *, title: str = "repair report",
                  everything: bool = False) -> str:
    """The whole page for ``(name, text, result)`` triples. Only documents with an edit or a
    suggestion are shown in full (``everything``: all of them); the others are rows of the
    summary table, hidden until "show unchanged documents" is ticked. The table sorts by any
    column on a click."""
    tiers: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    for _, _, r in documents:
        for e in (*r.edits, *r.suggestions):
            tiers[e.tier] += 1
            categories[e.category] += 1
    shown = [i for i, (_, _, r) in enumerate(documents) if everything or r.edits or r.suggestions]
    shown_set = set(shown)
    rows = "".join(
        f"<tr class='{'changed' if r.edits or r.suggestions else 'unchanged'}'>"
        f"<td>{f'<a href={chr(39)}#doc{i}{chr(39)}>{escape(name)}</a>' if i in shown_set else escape(name)}</td>"
        f"<td>{r.scan.spin_score:.2f}</td><td>{'spun' if r.scan.spun else 'clean'}</td>"
        f"<td>{len(r.edits)}</td><td>{len(r.suggestions)}</td></tr>"
        for i, (name, _, r) in enumerate(documents)
    )
    unchanged = sum(1 for _, _, r in documents if not (r.edits or r.suggestions))
    by = "".join(f"<tr><td>tier</td><td>{escape(k)}</td><td>{n}</td></tr>" for k, n in sorted(tiers.items()))
    by += "".join(f"<tr><td>category</td><td>{escape(k)}</td><td>{n}</td></tr>" for k, n in sorted(categories.items()))
    filters = "".join(
        f"<fieldset><legend>{label}</legend>" + "".join(
            f"<label><input type='checkbox' checked data-filter='{key}:{escape(v)}'> {escape(v)}</label> "
            for v in sorted(values)
        ) + "</fieldset>"
        for label, key, values in (("Tier", "tier", tiers), ("Category", "category", categories))
    )
    docs = "".join(
        f"<h2 id='doc{i}'>{escape(name)} <small>spin score {r.scan.spin_score:.2f}, "
        f"{_plural(len(r.edits), 'edit')}, {_plural(len(r.suggestions), 'suggestion')}</small></h2>"
        f"<div class='doc'>{_render_text(text, r)}</div>"
        for i in shown for name, text, r in (documents[i],)
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        "<p>Applied edits are green (<del>before</del> <ins>after</ins>); suggestions, never written, "
        "are underlined in amber. Hover for the entry, tier, confidence and reason.</p>"
        f"<p>{_plural(len(documents), 'document')}: {len(documents) - unchanged} with edits or suggestions, "
        f"{unchanged} unchanged. <label><input type='checkbox' id='show-clean'> show unchanged documents "
        "in the table</label> (click a column heading to sort)</p>"
        f"<table id='summary'><thead><tr><th>document</th><th>spin score</th><th>verdict</th><th>edits</th>"
        f"<th>suggestions</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<h2>By tier and category</h2><table id='counts'>{by}</table>"
        f"<h2>Filters</h2><div id='filters'>{filters}</div>{docs}"
        f"<script>{_JS}</script></body></html>\n"
    )
