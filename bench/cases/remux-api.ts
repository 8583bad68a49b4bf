// remux case, gpac-ts side: the same work as `gpac -i IN -o OUT`, through the package API.
import { done, importApi, ioArgs, unavailable } from './report.js';

/** The part of the API this case uses (issue 3: FilterSession, loadSrc, loadDst, run). */
interface Session {
  loadSrc(url: string): unknown;
  loadDst(url: string): unknown;
  run(): Promise<unknown>;
}
type SessionCtor = new () => Session;

const { input, output } = ioArgs('bench/cases/remux-api.ts');
const api = await importApi();
const FilterSession = api.FilterSession as SessionCtor | undefined;
if (typeof FilterSession !== 'function') unavailable('src/index.js does not export FilterSession');

const fs = new FilterSession();
fs.loadSrc(input);
fs.loadDst(output);
await fs.run();
done();
