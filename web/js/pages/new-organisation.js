// pages/new-organisation.js - register an organisation: POST
// /api/v1/organisations. The creator becomes its org admin; it stays
// "pending" until a platform admin approves it.
import { initPage, flash } from '../layout.js';
import { post } from '../api.js';
import { onSubmit, fillCountries } from '../forms.js';

await initPage({ requireLogin: true });

const form = document.getElementById('neworg-form');
const country = form.elements.namedItem('country');
fillCountries(country, '');
document.addEventListener('mc:languagechange', () => fillCountries(country));

// Suggest a slug from the legal name until the user types one of their own.
const name = form.elements.namedItem('legal_name');
const slug = form.elements.namedItem('slug');
let slugTouched = false;
slug.addEventListener('input', () => { slugTouched = slug.value !== ''; });
name.addEventListener('input', () => {
  if (!slugTouched) slug.value = slugify(name.value);
});

// slugify("Uppsala Universitet AB") -> "uppsala-universitet-ab": what the server
// accepts as a slug (starts with a letter, no trailing hyphen, 63 at most).
function slugify(s) {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
}

onSubmit(form, async (data) => {
  const org = await post('/organisations', data);
  flash('flash.org_created');
  location.assign(`/orgs/${encodeURIComponent(org.slug || data.slug)}`);
});
