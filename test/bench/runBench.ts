// `npm run bench`: every benchmark, each with its baseline measured in the same run.
// Prints one `BENCH <name> <value> <unit> baseline <value> ratio <r>` line each.
import { benchHostedPageLoad } from './hostedPageLoad';

console.log(await benchHostedPageLoad());
console.log('NOTE hosted-page-load measures the request filter only: the hosted guard preload is not built yet (issue 4).');
