// `npm run demo -- totp USER`: the demo account's current authenticator code, for people
// trying the demo stack without enrolling the seed in a phone app.
import { generate } from 'otplib';
import { DEMO_USERS } from './idp/demoUsers';

const [command, username] = process.argv.slice(2);
const usage = `usage: npm run -s demo -- totp USER   (USER: ${DEMO_USERS.map((u) => u.username).join(', ')})`;
const user = DEMO_USERS.find((u) => u.username === username);
if (command !== 'totp' || user === undefined) {
  console.error(username === undefined || command !== 'totp' ? usage : `no demo account '${username}'\n${usage}`);
  process.exit(2);
}
if (user.totpSecret === null) {
  console.error(`${user.username} has no authenticator set up (that account shows how Cordon refuses a sign-in without MFA)`);
  process.exit(1);
}
console.log(await generate({ secret: user.totpSecret }));
