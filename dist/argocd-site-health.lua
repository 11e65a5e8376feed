-- Argo CD health check for upstreamhealth.dev/Site (docs/gitops.md).
-- Healthy: Ready=True for the latest spec. Progressing: no verdict yet, the operator has not
-- seen the latest generation, it is waiting (AwaitingFirstProbe, CachesNotSynced), or the
-- backend's rollout has not finished (RolloutInProgress). Suspended: maintenance, declared or
-- announced (MaintenanceMode). Degraded: anything else (a fault visitors get, an invalid spec,
-- a cluster without the Gateway API). A Site whose reconciles fail (EvaluationFailed) keeps the
-- fault conditions of its last verdict: Degraded while they hold a fault, Suspended while they
-- hold maintenance, else Progressing (a failure a retry clears is no fault of the site; a held
-- rollout is still a rollout).
hs = {}
local waiting = { AwaitingFirstProbe = true, CachesNotSynced = true }
local faults = { OriginDown = true, BadGateway = true, ServiceUnavailable = true }
local function lastVerdict(conditions)
  local shown = "Progressing"
  for _, f in ipairs(conditions) do
    if faults[f.type] and f.status == "True" then
      if f.reason == "MaintenanceMode" then
        shown = "Suspended"
      elseif f.reason ~= "RolloutInProgress" then
        return "Degraded"
      end
    end
  end
  return shown
end
local status = obj.status
if status == nil or status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator's first verdict"
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to see generation " .. tostring(generation)
  return hs
end
for _, c in ipairs(status.conditions) do
  if c.type == "Ready" then
    local why = (status.fault or "") .. " " .. (c.reason or "") .. ": " .. (c.message or "")
    if c.status == "True" then
      hs.status = "Healthy"
    elseif (c.status == "Unknown" and waiting[c.reason]) or c.reason == "RolloutInProgress" then
      hs.status = "Progressing"
    elseif c.reason == "EvaluationFailed" then
      hs.status = lastVerdict(status.conditions)
    elseif c.reason == "MaintenanceMode" then
      hs.status = "Suspended"
    else
      hs.status = "Degraded"
    end
    hs.message = why
    return hs
  end
end
hs.status = "Progressing"
hs.message = "No Ready condition yet"
return hs
