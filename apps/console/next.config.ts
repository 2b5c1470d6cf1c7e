import type { NextConfig } from 'next';

const config: NextConfig = {
  // @trellis/shared ships TypeScript sources (no build step), so Next compiles it with the app.
  transpilePackages: ['@trellis/shared'],
  // The console is a BFF in front of the control plane; it has nothing to advertise.
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
