// pages/org-feedback.js - learners' feedback on an organisation's
// specifications (/orgs/{slug}/org-feedback[?threshold=N]): per
// specification version the number of answers, the average ratings and the
// comments (with a name only where the learner chose to give it). Groups
// smaller than the threshold are shown as suppressed, without figures or
// comments. Org admins can attach a specification's figures to the
// organisation's quality-assurance records.
import { initPage, el, showMessage, problemText, orgSlugFromPath } from '../layout.js';
import { get, post, seg } from '../api.js';
import { applyI18n, t, currentLanguage } from '../i18n.js';
import { orgCrumb } from '../issuing.js';
import { specTitleById } from './loop-common.js';

const session = await initPage({ requireLogin: true });
const slug = orgSlugFromPath();
const base = `/organisations/${seg(slug)}`;
const isAdmin = session.hasRole(slug, 'org-admin');
const threshold = new URLSearchParams(location.search).get('threshold');
const box = document.getElementById('orgfb-list');
let data = null;

get(base).then((org) => orgCrumb(slug, org)).catch(() => orgCrumb(slug, null));

const avg = (v) => (v === null || v === undefined ? '—' : new Intl.NumberFormat(currentLanguage(), { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(v));

async function render() {
  if (!data) return;
  document.getElementById('orgfb-intro').textContent = t('orgfb.intro', { n: data.threshold });
  const items = data.items || [];
  if (!items.length) {
    box.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'orgfb.empty' }));
    applyI18n(box);
    box.removeAttribute('aria-busy');
    return;
  }
  const titles = await Promise.all(items.map((g) => specTitleById(g.specification_id)));
  box.replaceChildren(el('table', { class: 'table' },
    el('caption', { class: 'visually-hidden', 'data-i18n': 'orgfb.heading' }),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', 'data-i18n': 'requests.col.specification' }),
      el('th', { scope: 'col', 'data-i18n': 'orgfb.col.count' }),
      el('th', { scope: 'col', 'data-i18n': 'feedback.clarity' }),
      el('th', { scope: 'col', 'data-i18n': 'feedback.assessment' }),
      el('th', { scope: 'col', 'data-i18n': 'feedback.relevance' }),
      isAdmin ? el('th', { scope: 'col' }, el('span', { class: 'visually-hidden', 'data-i18n': 'common.actions' })) : null)),
    el('tbody', {}, items.map((g, i) => el('tr', { 'data-spec': g.specification_id, 'data-version': g.version },
      el('th', { scope: 'row' }, titles[i] || g.specification_id, ' ', el('span', { class: 'meta' }, t('specs.version_n', { version: g.version }))),
      g.suppressed
        ? el('td', { colspan: 4, class: 'suppressed' }, t('orgfb.suppressed', { n: data.threshold }))
        : [el('td', { 'data-count': g.count }, String(g.count)), el('td', {}, avg(g.clarity)), el('td', {}, avg(g.assessment)), el('td', {}, avg(g.relevance))],
      isAdmin ? el('td', {}, g.suppressed ? null : el('button', { type: 'button', class: 'button button-small button-quiet',
        'data-attach': g.specification_id, 'aria-label': t('orgfb.attach_named', { title: titles[i] || g.specification_id }) }, t('orgfb.attach'))) : null)))),
  ...items.map((g, i) => (g.suppressed || !g.comments.length ? null : el('section', { class: 'comments', 'data-spec': g.specification_id },
    el('h2', {}, t('orgfb.comments_on', { title: titles[i] || g.specification_id, version: g.version })),
    el('ul', {}, g.comments.map((c) => el('li', {}, el('blockquote', {}, c.text),
      el('p', { class: 'meta' }, c.by ? `— ${c.by}` : t('orgfb.anonymous'))))))))
    .filter(Boolean));
  applyI18n(box);
  box.removeAttribute('aria-busy');
}

async function load() {
  data = await get(`${base}/feedback${threshold ? `?threshold=${encodeURIComponent(threshold)}` : ''}`);
  await render();
}

box.addEventListener('click', async (event) => {
  const b = event.target.closest('button[data-attach]');
  if (!b) return;
  b.disabled = true;
  try {
    const q = threshold ? `?threshold=${encodeURIComponent(threshold)}` : '';
    const r = await post(`${base}/feedback/${seg(b.dataset.attach)}/qa-record${q}`);
    showMessage(t('orgfb.attached', { framework: r.framework }), 'success');
  } catch (e) {
    showMessage(problemText(e), 'error');
  } finally {
    b.disabled = false;
  }
});

document.addEventListener('mc:languagechange', render);
try { await load(); } catch (e) { showMessage(problemText(e), 'error'); }
