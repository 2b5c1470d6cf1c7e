import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="page">
      <div className="state state-empty">
        <h2>Page not found</h2>
        <p>
          <Link href="/">Back to the overview</Link>
        </p>
      </div>
    </section>
  );
}
