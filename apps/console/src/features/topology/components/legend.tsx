import { HEALTH_COLOURS } from './graph-style';
import styles from './topology.module.css';

/** The lock as the graph draws it (lock-overlay.ts), for the legend. */
export function LockIcon({ size = 14 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 20 20" aria-hidden="true">
      <path d="M6 9 V6.5 a4 4 0 0 1 8 0 V9" fill="none" stroke="#1a7f37" strokeWidth="2.2" />
      <rect x="4" y="8.5" width="12" height="9" rx="1.6" fill="#1a7f37" />
    </svg>
  );
}

function Circle({ colour, fill }: { colour: string; fill: string }) {
  return (
    <svg className={styles.swatch} viewBox="0 0 20 20" aria-hidden="true">
      <circle cx="10" cy="10" r="7.5" fill={fill} stroke={colour} strokeWidth="2.5" />
    </svg>
  );
}

export function Legend() {
  return (
    <ul className={styles.legend} data-testid="topology-legend">
      <li>
        <Circle colour={HEALTH_COLOURS.healthy.line} fill={HEALTH_COLOURS.healthy.fill} /> Healthy: errors
        below 0.1 %
      </li>
      <li>
        <Circle colour={HEALTH_COLOURS.degraded.line} fill={HEALTH_COLOURS.degraded.fill} /> Degraded: errors
        from 0.1 %
      </li>
      <li>
        <Circle colour={HEALTH_COLOURS.failure.line} fill={HEALTH_COLOURS.failure.fill} /> Failure: errors
        from 20 %
      </li>
      <li>
        <Circle colour={HEALTH_COLOURS.idle.line} fill={HEALTH_COLOURS.idle.fill} /> No requests in the window
      </li>
      <li>
        <svg className={styles.swatch} viewBox="0 0 20 20" aria-hidden="true">
          <rect
            x="1.5"
            y="3"
            width="17"
            height="14"
            rx="3"
            fill="#f3f6fa"
            stroke="#8a8d90"
            strokeWidth="1.5"
          />
          <circle cx="10" cy="11" r="3.5" fill="#fff" stroke="#3e8635" strokeWidth="1.5" />
        </svg>
        App box holding its versions (workloads)
      </li>
      <li>
        <svg className={styles.swatch} viewBox="0 0 20 20" aria-hidden="true">
          <polygon points="10,2.5 18,17 2,17" fill="#fff" stroke="#8a8d90" strokeWidth="2" />
        </svg>
        Service no workload answered
      </li>
      <li>
        <svg className={styles.swatch} viewBox="0 0 20 20" aria-hidden="true">
          <polygon
            points="10,2 18,10 10,18 2,10"
            fill="#fff"
            stroke="#8a8d90"
            strokeWidth="2"
            strokeDasharray="3 2"
          />
        </svg>
        unknown: traffic from outside the mesh
      </li>
      <li>
        <span className={styles.swatch}>
          <LockIcon size={18} />
        </span>
        All requests on the edge use mTLS
      </li>
      <li>
        <svg className={styles.swatch} viewBox="0 0 20 20" aria-hidden="true">
          <line x1="1" y1="10" x2="19" y2="10" stroke="#3e8635" strokeWidth="2.5" strokeDasharray="4 3" />
        </svg>
        <span>
          Dashed, <span className={styles.plain}>⚠ plaintext</span>: some or all requests without mTLS
        </span>
      </li>
    </ul>
  );
}
