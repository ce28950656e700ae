// pages/index.js - the home page: static text, only the layout is dynamic.
import { initPage } from '../layout.js';

await initPage();
