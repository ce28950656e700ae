// api.js - the one way the pages talk to the microcred JSON API (/api/v1).
//
// Sends and receives JSON with the session cookie. Every state-changing
// request (anything but GET/HEAD) carries the header X-CSRF-Token with the
// token the server handed out in /me, /auth/login or /auth/register; the
// token is kept in memory only and fetched again on every page load.
//
// A non-2xx answer becomes an ApiError whose .problem is the RFC 9457 problem
// document ({type, title, status, detail, errors:[{field, message}]}); when
// the server sent no problem document one is made up from the status line so
// callers can always read .problem.detail and .problem.errors.

const BASE = '/api/v1';

let csrfToken = null;

// setCsrfToken(token): remembers the CSRF token for later requests.
export function setCsrfToken(token) {
  csrfToken = token || null;
}

// An answer that was not 2xx (status 0: the server could not be reached).
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

function toProblem(status, statusText, body) {
  const p = body && typeof body === 'object' && !Array.isArray(body) ? { ...body } : {};
  if (typeof p.status !== 'number') p.status = status;
  if (typeof p.title !== 'string') p.title = statusText || `HTTP ${status}`;
  if (typeof p.detail !== 'string') p.detail = '';
  if (!Array.isArray(p.errors)) p.errors = [];
  return p;
}

// request(method, path, body) -> parsed JSON body, or null for 204/no body.
// path is relative to /api/v1 ("/organisations"). body (optional) is sent as
// JSON. Throws ApiError for non-2xx answers and network failures.
export async function request(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res;
  try {
    res = await fetch(BASE + path, init);
  } catch (e) {
    throw new ApiError(0, toProblem(0, 'Network error', { detail: '', network: true }));
  }

  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (res.status !== 204 && type.includes('json')) {
    try { data = await res.json(); } catch { data = null; }
  }
  if (!res.ok) throw new ApiError(res.status, toProblem(res.status, res.statusText, data));
  if (data && typeof data.csrf === 'string') setCsrfToken(data.csrf);
  return data;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body ?? {});
export const patch = (path, body) => request('PATCH', path, body);
export const del = (path) => request('DELETE', path);

// path segment helper: encodes a slug or id for use inside a URL path.
export const seg = (s) => encodeURIComponent(String(s));
