import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shadowHost } from './mirror';

test('shadow host: Envoy inserts -shadow before the port', () => {
  assert.equal(shadowHost('reviews:9080'), 'reviews-shadow:9080');
  assert.equal(shadowHost('reviews'), 'reviews-shadow');
  assert.equal(shadowHost('[::1]:80'), '[::1]-shadow:80');
});
