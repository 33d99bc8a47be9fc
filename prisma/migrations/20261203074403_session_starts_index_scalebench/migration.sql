-- CreateIndex
CREATE INDEX "Session_startsAt_idx" ON "Session"("startsAt");
