-- CreateTable
CREATE TABLE "AuthFailureCount" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL,
    "expire" TIMESTAMPTZ(3),

    CONSTRAINT "AuthFailureCount_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "AuthFailureCount_expire_idx" ON "AuthFailureCount"("expire");
