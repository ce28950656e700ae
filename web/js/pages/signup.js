// pages/signup.js - create an account: POST /api/v1/auth/register, then on
// to /account (or ?next=) signed in.
import { initPage, flash, safeNext } from '../layout.js';
import { post } from '../api.js';
import { onSubmit } from '../forms.js';

const session = await initPage();
const next = safeNext(new URLSearchParams(location.search).get('next'));
if (session.signedIn) location.replace(next);

onSubmit(document.getElementById('signup-form'), async (data) => {
  await post('/auth/register', { name: data.name, email: data.email, password: data.password });
  flash('flash.welcome');
  location.assign(next);
});
