// `npm run bench`: every benchmark, each with its baseline measured in the same run.
// Prints one `BENCH <name> <value> <unit> baseline <value> ratio <r>` line each.
import { benchAuditAppend } from './auditAppend';
import { benchHostedPageLoad } from './hostedPageLoad';

for (const line of benchAuditAppend()) console.log(line);
console.log(await benchHostedPageLoad());
console.log('NOTE hosted-page-load measures the request filter only: the hosted guard preload is not built yet (issue 4).');
console.log('NOTE audit ratios are encrypted cost over plain SQLite (baseline rate / measured rate); sync and collector figures come with the collector.');
