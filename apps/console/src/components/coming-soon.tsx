export function ComingSoon({ title, summary, points }: { title: string; summary: string; points: string[] }) {
  return (
    <section className="page" data-testid="coming-soon">
      <header className="page-header">
        <h1>{title}</h1>
        <span className="badge badge-muted">Coming soon</span>
      </header>
      <div className="panel placeholder">
        <p>{summary}</p>
        <p className="placeholder-lead">What will live here:</p>
        <ul>
          {points.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </div>
    </section>
  );
}
