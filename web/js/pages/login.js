// pages/login.js - sign in: POST /api/v1/auth/login, then on to ?next= (a
// path on this site) or /account.
import { initPage, flash, safeNext } from '../layout.js';
import { post } from '../api.js';
import { onSubmit } from '../forms.js';

const session = await initPage();
const next = safeNext(new URLSearchParams(location.search).get('next'));
if (session.signedIn) location.replace(next);

onSubmit(document.getElementById('login-form'), async (data) => {
  await post('/auth/login', { email: data.email, password: data.password });
  flash('flash.logged_in');
  location.assign(next);
});
