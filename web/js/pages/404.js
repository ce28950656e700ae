// pages/404.js - "page not found", served by the server for unknown paths.
import { initPage } from '../layout.js';

await initPage();
