# zsh zsh-complete.zsh SCRIPT LINE: the candidates zsh's completion system offers at the end of
# LINE, one a line, with SCRIPT (gitfed completion zsh) loaded. Drives an interactive zsh through
# zsh/zpty and records what reaches compadd, so it tests the script as a user's shell runs it.
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1=''; autoload -U compinit; compinit -u -d ${TMPDIR:-/tmp}/gitfed-zcompdump-$$; source ${(q)1}"
# The marker is built at run time, so the echo of this line never looks like a candidate.
zpty -w z 'compadd () { local -a hits; builtin compadd -A hits "$@"; local h; for h in $hits; do print -r -- "${:-@@}cand:$h"; done; builtin compadd "$@" }'
zpty -n -w z "$2"$'\t'
# Read until the candidates have come and nothing more has for a while (10 s at most).
local out all='' i quiet=0
for i in {1..100}; do
  if zpty -r -t z out; then all+=$out; quiet=0; continue; fi
  [[ $all == *@@cand:* ]] && (( ++quiet >= 3 )) && break
  sleep 0.1
done
all=${all//$'\r'/}
local -a parts=(${(f)all//@@cand:/$'\n'@@cand:})
print -rl -- ${(u)${(M)parts:#@@cand:*}#@@cand:}
zpty -d z
