// labels.js - words for the codes the API uses (roles, statuses, QA types),
// in the reader's language; an unknown code is shown as it is.

import { t } from './i18n.js';
import { el } from './layout.js';

// roleLabel(role) -> "Organisation admin" for "org-admin", etc.
export function roleLabel(role) {
  switch (role) {
    case 'org-admin': return t('role.org_admin');
    case 'issuer': return t('role.issuer');
    case 'assessor': return t('role.assessor');
    default: return String(role);
  }
}

// statusLabel(status) -> "Approved" for "approved", etc.
export function statusLabel(status) {
  switch (status) {
    case 'pending': return t('status.pending');
    case 'approved': return t('status.approved');
    case 'suspended': return t('status.suspended');
    case 'rejected': return t('status.rejected');
    default: return String(status);
  }
}

// qaTypeLabel(type) -> "Internal" / "External".
export function qaTypeLabel(type) {
  switch (type) {
    case 'internal': return t('qa.type.internal');
    case 'external': return t('qa.type.external');
    default: return String(type);
  }
}

// statusBadge(status) -> <span class="badge badge-STATUS">Label</span>.
export function statusBadge(status) {
  const safe = /^[a-z-]+$/.test(status || '') ? status : 'other';
  return el('span', { class: `badge badge-${safe}` }, statusLabel(status));
}
