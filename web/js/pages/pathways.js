// pages/pathways.js - the public list of pathways (/pathways): what each
// organisation's pathway asks for, in words, which issuers it trusts, and
// for a signed-in learner "Follow" and a link to their progress.
import { initPage, el, showMessage, problemText, loginHref } from '../layout.js';
import { get, post, del, seg } from '../api.js';
import { applyI18n, t } from '../i18n.js';
import { langText } from '../issuing.js';
import { ruleTree, trustWords, pathwayName, str, arr } from './stacking-common.js';

const session = await initPage();
const box = document.getElementById('pathways');
let items = null;
const followed = new Set(); // ids the signed-in learner follows (the server says; kept up to date here)

function card(p) {
  const id = str(p.id);
  const name = pathwayName(p);
  const description = langText(p.description);
  const progress = `/pathway?id=${encodeURIComponent(id)}`;
  let actions;
  if (!session.signedIn) {
    actions = el('p', { class: 'actions' }, el('a', { href: loginHref(), class: 'button button-quiet', 'data-i18n': 'pathways.login_to_follow' }));
  } else if (followed.has(id)) {
    actions = el('p', { class: 'actions' },
      el('a', { href: progress, class: 'button', 'data-i18n': 'pathways.see_progress' }),
      el('button', { type: 'button', class: 'button button-quiet', 'data-unfollow': id, 'aria-label': t('pathways.unfollow_named', { name }) },
        t('pathways.unfollow')));
  } else {
    actions = el('p', { class: 'actions' },
      el('button', { type: 'button', class: 'button', 'data-follow': id, 'aria-label': t('pathways.follow_named', { name }) },
        t('pathways.follow')),
      el('a', { href: progress, class: 'button button-quiet', 'data-i18n': 'pathways.see_progress' }));
  }
  return el('li', { class: 'card', 'data-pathway': id },
    el('h2', {}, el('a', { href: progress }, name)),
    el('p', { class: 'meta' }, p.org_slug ? el('a', { href: `/orgs/${encodeURIComponent(str(p.org_slug))}` }, str(p.org_legal_name) || str(p.org_slug)) : ''),
    description ? el('p', {}, description) : null,
    el('h3', { class: 'sub-label', 'data-i18n': 'pathways.asks_for' }),
    ruleTree(p.rules),
    el('p', { class: 'meta' }, trustWords(p.trust)),
    actions);
}

function render() {
  if (items === null) return;
  if (!items.length) box.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'pathways.empty' }));
  else box.replaceChildren(el('ul', { class: 'cards' }, items.map(card)));
  applyI18n(box);
}

try {
  const data = await get('/pathways');
  items = arr(data.items);
  for (const p of items) if (p.following === true) followed.add(str(p.id));
  render();
} catch (e) {
  showMessage(problemText(e), 'error');
  box.replaceChildren();
}
box.removeAttribute('aria-busy');
document.addEventListener('mc:languagechange', render);

box.addEventListener('click', async (event) => {
  const follow = event.target.closest('button[data-follow]');
  const unfollow = event.target.closest('button[data-unfollow]');
  const button = follow || unfollow;
  if (!button) return;
  const id = follow ? button.dataset.follow : button.dataset.unfollow;
  const p = items.find((x) => str(x.id) === id);
  button.disabled = true;
  try {
    if (follow) { await post(`/pathways/${seg(id)}/follow`); followed.add(id); } else { await del(`/pathways/${seg(id)}/follow`); followed.delete(id); }
    render();
    showMessage(t(follow ? 'pathways.followed' : 'pathways.unfollowed', { name: pathwayName(p) }), 'success');
    const again = box.querySelector(`[data-pathway="${CSS.escape(id)}"] .actions a, [data-pathway="${CSS.escape(id)}"] .actions button`);
    if (again) again.focus();
  } catch (e) {
    button.disabled = false;
    showMessage(problemText(e), 'error');
  }
});
