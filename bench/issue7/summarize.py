import sys, statistics as st
rows=[l.rstrip('\n').split('\t') for f in sys.argv[1:] for l in open(f) if not l.startswith('round')]
files={'A':1211,'B':1785,'C':1219,'D':1813}
print('| config | codegen wall median | wall min–max | codegen CPU (user+sys) median | CPU min–max | peak RSS | tsc --noEmit wall median | tsc wall min–max | tsc CPU median | files | load1 range | runs |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|')
for c in 'ABCD':
    g=[r for r in rows if r[1]==c and r[2]=='codegen']; t=[r for r in rows if r[1]==c and r[2]=='tsc']
    w=[float(r[4]) for r in g]; cpu=[float(r[5])+float(r[6]) for r in g]; tw=[float(r[4]) for r in t]; tc=[float(r[5])+float(r[6]) for r in t]
    ld=[float(r[3]) for r in g+t]; rss=st.median(float(r[7]) for r in g)/1024
    print(f'| {c} | {st.median(w):.2f} s | {min(w):.2f}–{max(w):.2f} | {st.median(cpu):.2f} s | {min(cpu):.2f}–{max(cpu):.2f} | {rss:.0f} MiB | {st.median(tw):.2f} s | {min(tw):.2f}–{max(tw):.2f} | {st.median(tc):.2f} s | {files[c]} | {min(ld):.2f}–{max(ld):.2f} | {len(g)} |')
