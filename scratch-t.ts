import { clientOf } from '/work/wt-proxy-limits/src/domain/limits/client-limits.ts';
for (const a of ['1.2.3.4','::ffff:1.2.3.4','2001:db8:1:2:3:4:5:6','2001:db8:1:2::9','fe80::1%eth0','garbage','::1']) console.log(a, clientOf(a));
