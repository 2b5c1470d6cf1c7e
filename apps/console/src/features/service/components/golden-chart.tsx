'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { utcClock } from '../time';
import type { ChartRow, MetricId, SeriesInfo } from '../types';
import { seriesColor } from './series-colors';
import styles from './service.module.css';

export interface ChartSpec {
  metric: MetricId;
  title: string;
  unit: string;
  /** Tooltip values. */
  format: (v: number) => string;
  /** Y-axis ticks, when they need to be shorter than `format`. */
  axis?: (v: number) => string;
}

/** A thin wrapper around recharts (as Headlamp's): one line per series, total dashed, gaps where no traffic. */
export function GoldenChart({
  spec,
  rows,
  series,
  small,
}: {
  spec: ChartSpec;
  rows: ChartRow[];
  series: SeriesInfo[];
  small?: boolean;
}) {
  return (
    <figure
      className={small ? `${styles.chart} ${styles.chartSmall}` : styles.chart}
      data-testid={`chart-${spec.metric}`}
    >
      <figcaption>
        {spec.title}
        <span className={styles.chartUnit}>{spec.unit}</span>
      </figcaption>
      <ResponsiveContainer width="100%" height={small ? 190 : 220}>
        <LineChart data={rows} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e9ef" />
          <XAxis
            dataKey="tMs"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={(t: number) => utcClock(t)}
            tick={{ fontSize: 11, fill: '#5b6b7f' }}
            minTickGap={24}
          />
          <YAxis
            tickFormatter={(v: number) => (spec.axis ?? spec.format)(v)}
            tick={{ fontSize: 11, fill: '#5b6b7f' }}
            width={52}
            allowDecimals
          />
          <Tooltip
            labelFormatter={(t) => `${utcClock(Number(t), true)} UTC`}
            formatter={(v) => (typeof v === 'number' ? spec.format(v) : '—')}
            contentStyle={{ fontSize: 12 }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} iconType="plainline" />
          {series.map((s, i) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.label}
              className={`series-line series-${s.total ? 'total' : 'version'}`}
              stroke={seriesColor(i, s.total)}
              strokeWidth={s.total ? 2.25 : 1.75}
              strokeDasharray={s.total ? '6 3' : undefined}
              dot={false}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
