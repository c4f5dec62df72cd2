// Button class strings, so every button has the same focus ring and disabled look (inputs and
// labels: components/ui/field.tsx).
export const btn =
  'inline-flex items-center justify-center gap-1 rounded border px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 disabled:cursor-not-allowed disabled:opacity-50';
export const btnPrimary = `${btn} border-blue-800 bg-blue-700 text-white hover:bg-blue-800`;
export const btnDanger = `${btn} border-red-800 bg-red-700 text-white hover:bg-red-800`;
export const btnSecondary = `${btn} border-slate-300 bg-white text-slate-800 hover:bg-slate-100`;
