// startup case, gpac-ts side: import the package, make a session (libgpac bound and initialised), close it.
// What `gpac -h` does on the CLI side (load libgpac, gf_sys_init), plus what a session costs to make.
import { done, importApi, unavailable } from './report.js';

interface Session {
  close(): void;
}
type SessionCtor = new () => Session;

const api = await importApi();
const FilterSession = api.FilterSession as SessionCtor | undefined;
if (typeof FilterSession !== 'function') unavailable('src/index.js does not export FilterSession');
new FilterSession().close();
done();
