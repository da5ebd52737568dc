/** Demo accounts live under this reserved domain (RFC 2606 `.invalid`): only `bluelight demo` makes them. */
export const DEMO_DOMAIN = 'demo.bluelight.invalid';
export const isDemoAccount = (email: string) => email.trim().toLowerCase().endsWith(`@${DEMO_DOMAIN}`);
